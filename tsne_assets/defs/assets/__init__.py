"""The collection pipeline's assets, one module per group of stages."""
