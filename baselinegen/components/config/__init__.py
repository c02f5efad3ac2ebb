"""AWS Config: recorder, delivery channel, bucket and managed rules."""
