"""The web shell shared by every module: layout, navigation, language, health and audit views."""
