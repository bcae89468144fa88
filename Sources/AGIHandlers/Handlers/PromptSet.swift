/// The recorded prompts of one language: `calljournal/<lang>/<name>` under Asterisk's sounds
/// directory (`enter-category`, `enter-value`, `invalid-code`, `saved`, `you-are-online`,
/// `you-are-offline`).
///
/// The language is the script's `?lang=` if given, else the channel's `agi_language`, else `en`;
/// only `en`, `ru` and `uk` are recorded, so any other (or a malformed one) falls back to `en`.
/// A region suffix is ignored: `ru_RU` and `ru-RU` use `ru`.
public struct PromptSet: Sendable, Equatable {
    /// The languages recorded.
    public static let languages: Set<String> = ["en", "ru", "uk"]

    public enum Prompt: String, Sendable, CaseIterable {
        case enterCategory = "enter-category"
        case enterValue = "enter-value"
        case invalidCode = "invalid-code"
        case saved = "saved"
        case youAreOnline = "you-are-online"
        case youAreOffline = "you-are-offline"
    }

    /// The language whose recordings are used.
    public let language: String

    public init(requested: String?, channelLanguage: String?) {
        let candidate = [requested, channelLanguage].lazy.compactMap { Self.normalised($0) }.first
        language = candidate ?? "en"
    }

    /// Where the recordings are, under Asterisk's sounds directory: `calljournal/<lang>`.
    public var directory: String { "calljournal/\(language)" }

    /// The file name for `STREAM FILE`/`GET DATA`, e.g. `calljournal/ru/enter-value`.
    public func file(_ prompt: Prompt) -> String {
        "\(directory)/\(prompt.rawValue)"
    }

    private static func normalised(_ text: String?) -> String? {
        guard let text else { return nil }
        let base = text.prefix { $0 != "_" && $0 != "-" }.lowercased()
        return languages.contains(base) ? base : nil
    }
}
