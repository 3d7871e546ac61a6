"""Issued letters: gap-free numbering, issuing and reissuing on a case, lookup and verification."""
