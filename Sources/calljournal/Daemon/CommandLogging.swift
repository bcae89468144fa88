import Foundation
import Logging

/// Logging set-up: swift-log to standard error (journald adds its own timestamps under systemd).
enum CommandLogging {
    /// Bootstraps the process-wide log handler once and returns a logger for `label`.
    static func logger(label: String, level: String) -> Logger {
        bootstrapOnce
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: level) ?? .info
        return logger
    }

    private static let bootstrapOnce: Void = {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .trace
            return handler
        }
    }()
}
