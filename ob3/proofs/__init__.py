"""Proof formats: VC-JWT (`vc_jwt`) and Data Integrity proofs."""
