"""The Dagster shell: partitions, resources, IO managers and assets that wire ``core``."""
