"""False claims about the bloc: the register, the matcher's matches, rebuttals, and correction
or removal requests whose outcome Loa verifies. Claims and published content, never people."""
