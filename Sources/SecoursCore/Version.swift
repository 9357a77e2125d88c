/// The version of Secours, said by `secours --version` and on the first line a server logs.
public enum SecoursVersion {
    public static let current = "1.7.0"
}
