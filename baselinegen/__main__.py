from .cli import main

if __name__ == "__main__":  # not when a spawned worker process (macOS, Windows) imports this module as __mp_main__
    main()
