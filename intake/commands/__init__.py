"""`baoquan` subcommands that live in their own modules (each exposes `run(args) -> int`)."""
