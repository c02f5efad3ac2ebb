"""The log-archive account: the organisation trail's bucket and key."""
