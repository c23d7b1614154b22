"""``python -m tempo_coach`` runs the same command as ``tempo-coach``."""

from tempo_coach.cli import console

console()
