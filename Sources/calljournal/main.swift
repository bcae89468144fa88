print("calljournal")
