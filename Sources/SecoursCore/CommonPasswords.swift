/// The most common passwords, which every guessing attack tries first (compiled from public
/// lists of leaked passwords, French and English, at least 10 characters or what a user pads
/// to 10), and the runs of keyboard or digit order they are made of.
public enum CommonPasswords {
    static let list: Set<String> = [
        "0123456789", "1234567890", "12345678910", "123456789a", "123456789q", "1234567890a", "0987654321", "9876543210",
        "1q2w3e4r5t", "1qaz2wsx3edc", "q1w2e3r4t5", "a1b2c3d4e5", "a1z2e3r4t5", "qwertyuiop", "azertyuiop", "asdfghjkl;",
        "qwerty1234", "azerty1234", "qwerty123456", "azerty123456", "qwertyuiop1", "azertyuiop1", "1234qwer", "password12",
        "password123", "password1234", "passw0rd123", "p@ssw0rd12", "p@ssword12", "motdepasse", "motdepasse1", "motdepasse12",
        "motdepasse123", "mot de passe", "mot2passe12", "soleil1234", "soleil12345", "bonjour123", "bonjour1234", "doudou1234",
        "chouchou12", "loulou1234", "marseille13", "liverpool1", "liverpool12", "football12", "football123", "baseball12",
        "iloveyou12", "iloveyou123", "jetaime123", "jetaime1234", "princess12", "sunshine12", "starwars12", "welcome123",
        "welcome1234", "letmein123", "trustno1234", "dragon1234", "monkey1234", "master1234", "shadow1234", "superman12",
        "batman1234", "pokemon123", "charlie123", "michael123", "jennifer12", "computer12", "internet12", "administrator",
        "admin12345", "admin123456", "administrateur", "secours2026", "secours-2026", "douane2026", "douane1234", "gamma12345",
        "changeme12", "changeme123", "azerty2026", "qwerty2026", "password2026", "motdepasse2026", "123123123123", "1111111111",
        "abcdefghij", "abcdef1234", "abc1234567", "abcd123456", "aaaaaa1111", "zaq12wsxcde", "zxcvbnm123", "7777777777",
        "qazwsxedc1", "qazwsxedcrfv", "passe12345", "bienvenue1", "bienvenue12", "bienvenue123", "vacances12", "france2026",
    ]

    /// Whether the (folded) password is one of the list.
    public static func contains(_ folded: String) -> Bool { list.contains(folded) }

    /// Whether the password is nothing but a run of consecutive characters ("0123456789",
    /// "abcdefghij", "9876543210"), possibly repeated.
    public static func isRun(_ s: String) -> Bool {
        let scalars = s.unicodeScalars.map(\.value)
        guard scalars.count >= 2 else { return true }
        let steps = zip(scalars.dropFirst(), scalars).map { Int($0) - Int($1) }
        return steps.allSatisfy { $0 == 1 || $0 == -9 } || steps.allSatisfy { $0 == -1 || $0 == 9 }
    }
}
