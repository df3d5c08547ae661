"""deletionPolicy: Delete: the cleanup plan and the finalizer."""
