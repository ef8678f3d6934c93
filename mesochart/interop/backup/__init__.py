"""Backups that are proved by restoring them.

A backup is one tar archive: the database as the vendor's own tool copies it (SQLite's online
backup API, PostgreSQL's ``pg_dump`` in custom format), every stored file, and a manifest of
each table's row count and content hash and of each file's SHA-256. The manifest is computed
from the same snapshot the dump was taken from, so a restore can prove that it holds exactly
what was backed up: `restore.restore_backup` refuses an archive whose contents disagree with
its manifest, and checks the restored database against it again before it reports success.
"""
