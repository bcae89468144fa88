// AMIClient
enum Placeholder {}
