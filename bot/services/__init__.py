"""Use-cases combining storage and scoring; plain values in and out, never telegram."""
