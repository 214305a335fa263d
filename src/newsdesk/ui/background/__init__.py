"""Work off the GUI thread: the store's lanes, tasks, and the cycle collector's place."""
