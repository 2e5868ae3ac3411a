import dagster as dg

#: One partition per collection; the key is the collection id.
collections_partitions = dg.DynamicPartitionsDefinition(name="collections")
