"""deckbuild: render Quarto reveal.js decks with executed Python into slides, PDFs and a site."""

__version__ = "0.1.0"
