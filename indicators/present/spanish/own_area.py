"""Spanish texts of your own area: drawing, uploading or combining an area, and what is said about it."""

ES: dict[str, str] = {
}
