"""The full-screen app: screens and widgets that adapt the session engine's events."""
