"""Media-crisis handling: incidents run by playbooks (kịch bản), with deadlines, authorised
spokespersons, press statements through review and approval, a timeline of coverage,
and a closing review."""
