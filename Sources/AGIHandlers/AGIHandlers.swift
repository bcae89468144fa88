// AGIHandlers
enum Placeholder {}
