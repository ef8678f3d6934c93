"""Contraindication screening and e-signed, versioned consent that gate every session."""
