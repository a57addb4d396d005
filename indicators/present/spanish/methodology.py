"""Spanish texts of methodology."""

ES: dict[str, str] = {
}
