public import Logging

/// A script handler that can decide a whole session from the environment alone: the commands
/// it sends do not depend on Asterisk's answers and nothing has to be waited for first.
///
/// Such a session runs entirely on the connection's event loop: environment in, decision,
/// commands out one at a time, close. It never touches Swift's task pool, which spares two
/// thread hand-offs per command; `route` is one (it only sets four channel variables from an
/// in-memory snapshot).
///
/// The commands are still sent one at a time, each after the previous response: Asterisk
/// reads the socket through a stdio stream (`fdopen` + `fgets` in `run_agi()`, res/res_agi.c)
/// but waits for the next command by polling the raw descriptor, so a second command that
/// arrived in the same read sits in the stdio buffer unseen until more bytes come.
///
/// A failing response ends the session exactly as a throwing ``AGIScriptHandler/handle(_:)``
/// would (for instance ``AGIError/commandRejected(command:response:)``); a `HANGUP` line does
/// not, as the variable commands still run on a dead channel.
public protocol AGIPlannedScriptHandler: AGIScriptHandler {
    /// The commands to send, in order; `nil` when this session needs
    /// ``AGIScriptHandler/handle(_:)`` after all (for example when the directory cannot be read
    /// without waiting). Called on an event loop: it must not block.
    func plannedCommands(for environment: AGIEnvironment, logger: Logger) throws(AGIError) -> [AGICommand]?
}
