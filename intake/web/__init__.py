"""Server-rendered pages: /login, /agent, /clerk, /audit (Jinja2)."""
