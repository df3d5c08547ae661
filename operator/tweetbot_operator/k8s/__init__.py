"""The API server: the client, paths, pods."""
