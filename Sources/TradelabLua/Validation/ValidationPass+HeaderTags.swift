extension ValidationPass {
    /// Tags written in comments after the first line of code are not part of the header and are
    /// ignored; say so instead of silently dropping them.
    mutating func checkMisplacedTags() {
        guard let firstCode = header.firstCodeLine else { return }
        for comment in source.comments where comment.line >= firstCode {
            var text = Substring(comment.text)
            while text.first == "-" { text = text.dropFirst() }
            text = text.drop { $0 == " " || $0 == "\t" }
            guard text.first == "@" else { continue }
            let word = text.dropFirst().prefix { $0.isLetter }
            guard let tag = HeaderTag(rawValue: word.lowercased()) else { continue }
            let after = text.dropFirst(word.count + 1).first
            guard after == nil || after == " " || after == "\t" else { continue }
            report(.warning, "@\(tag.rawValue) after the first line of code (line \(firstCode)) is ignored; "
                       + "move it into the header comments at the top of the file",
                   line: comment.line, column: source.column(of: comment))
        }
    }
}
