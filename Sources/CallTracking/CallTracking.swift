// CallTracking
enum Placeholder {}
