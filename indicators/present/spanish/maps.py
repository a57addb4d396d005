"""Spanish texts of maps."""

ES: dict[str, str] = {
}
