"""Layout stages: furniture removal, columns, reading order, lines -> blocks."""
