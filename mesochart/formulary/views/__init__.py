"""Formulary pages: browse and products, lots and stock, cocktails."""
