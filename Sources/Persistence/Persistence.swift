// Persistence
enum Placeholder {}
