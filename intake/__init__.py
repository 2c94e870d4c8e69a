"""The service edge: HTTP API, pages, CLI, persistence and the case lifecycle (see ARCHITECTURE.md)."""
