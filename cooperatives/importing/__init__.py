"""Registry import: file reading (:mod:`.files`) and row validation/upsert (:mod:`.registry`)."""
