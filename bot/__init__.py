"""The GNLC bot: answers about Thailand's cities in the UNESCO Global Network of Learning Cities."""

__version__ = "0.1.0"
