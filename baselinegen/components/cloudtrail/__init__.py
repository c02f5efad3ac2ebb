"""CloudTrail: the trail, its buckets and log group."""
