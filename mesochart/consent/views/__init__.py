"""Screening and consent pages; each fetches through `consent.access` and writes through
`consent.actions`."""
