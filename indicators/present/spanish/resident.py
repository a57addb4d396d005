"""Spanish texts of the resident pages: My neighbourhood, your own area, the cards and the
printable profile."""

ES: dict[str, str] = {
    "Your district": "Tu distrito",
    "How {place} is doing": "Cómo está {place}",
}
