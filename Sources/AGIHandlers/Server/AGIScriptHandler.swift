/// The code behind one FastAGI script name (`route`, `postcall`, `status`).
///
/// A handler returns when it is done; the server then closes the connection, after which
/// Asterisk continues the dialplan. Throwing ``AGIError/channelHungUp`` is the normal way out
/// when the caller or agent hangs up mid-script and is not counted as an error.
public protocol AGIScriptHandler: Sendable {
    func handle(_ session: AGISession) async throws
}
