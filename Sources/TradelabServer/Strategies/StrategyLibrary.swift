import Foundation
import TradelabData
import TradelabLua

/// The `.lua` files under the strategies folder (sub-folders allowed), read and written by name.
///
/// Every name passes ``StrategyName`` and every resolved path is checked to stay inside the
/// folder (symbolic links included); writes go to a temporary file that is then renamed, so a
/// crash never leaves half a strategy.
struct StrategyLibrary: Sendable {
    /// The strategies folder.
    let root: String

    /// The file of `name`, after checking it stays inside the folder (its folder is checked: the
    /// file itself may not exist yet).
    func path(of name: StrategyName) throws(APIError) -> String {
        let path = root + "/" + name.value + ".lua"
        guard DataPath.contains(URL(fileURLWithPath: path).deletingLastPathComponent().path, in: root) else {
            throw APIError.badRequest("invalid strategy name '\(name)': it leaves the strategies folder", code: "invalid_name")
        }
        return path
    }

    /// Every strategy (or those under `folder`), sorted by name (top level first, then folders).
    func list(under folder: String? = nil, includeCode: Bool = false) -> [StrategyInfo] {
        let prefix = folder.map { $0 + "/" } ?? ""
        guard let walker = FileManager.default.enumerator(atPath: root + "/" + prefix) else { return [] }
        var result: [StrategyInfo] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".lua"), let name = try? StrategyName(prefix + relative),
                  let info = try? describe(name, includeCode: includeCode) else { continue }
            result.append(info)
        }
        return result.sorted { ($0.folder, $0.name) < ($1.folder, $1.name) }
    }

    /// One strategy with its code.
    /// - Throws: 404 when there is no such file.
    func get(_ name: StrategyName) throws(APIError) -> StrategyInfo {
        try describe(name, includeCode: true)
    }

    /// The text of a strategy.
    func code(of name: StrategyName) throws(APIError) -> String {
        let path = try path(of: name)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw APIError.notFound("no strategy named '\(name)'")
        }
        return text
    }

    /// Creates a new strategy.
    /// - Throws: 409 `conflict` when the name is taken.
    func create(_ name: StrategyName, code: String) throws(APIError) -> StrategyInfo {
        try write(code, to: try path(of: name), exclusive: name)
        return try describe(name, includeCode: true)
    }

    /// Replaces a strategy's code, and renames it when `newName` is given.
    /// - Throws: 404 when it does not exist, 409 when `newName` is taken.
    func update(_ name: StrategyName, code: String, newName: StrategyName?) throws(APIError) -> StrategyInfo {
        let path = try path(of: name)
        guard FileManager.default.fileExists(atPath: path) else { throw APIError.notFound("no strategy named '\(name)'") }
        guard let newName, newName != name else {
            try write(code, to: path)
            return try describe(name, includeCode: true)
        }
        try write(code, to: try self.path(of: newName), exclusive: newName)
        guard unlink(path) == 0 || errno == ENOENT else {
            throw APIError(.internalServerError, "internal", "'\(newName)' was written but '\(name)' could not be removed: \(String(cString: strerror(errno)))")
        }
        return try describe(newName, includeCode: true)
    }

    /// Deletes a strategy.
    /// - Throws: 404 when it does not exist.
    func delete(_ name: StrategyName) throws(APIError) {
        let path = try path(of: name)
        guard FileManager.default.fileExists(atPath: path) else { throw APIError.notFound("no strategy named '\(name)'") }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw APIError(.internalServerError, "internal", "cannot delete '\(name)': \(error.localizedDescription)")
        }
    }

    /// The templates (the `templates/` folder), with their header's title and description.
    func templates() -> [TemplateInfo] {
        list(under: "templates", includeCode: true).filter { $0.folder == "templates" }.map { info in
            TemplateInfo(name: info.name, title: info.metadata.name ?? info.path.split(separator: "/").last.map(String.init) ?? info.name,
                         description: info.metadata.description ?? "", code: info.code ?? "", metadata: info.metadata)
        }
    }

    private func describe(_ name: StrategyName, includeCode: Bool) throws(APIError) -> StrategyInfo {
        let path = try path(of: name)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw APIError.notFound("no strategy named '\(name)'")
        }
        return StrategyInfo(name: name, text: text, size: (attributes[.size] as? NSNumber)?.intValue ?? text.utf8.count,
                            modified: attributes[.modificationDate] as? Date ?? Date(), includeCode: includeCode)
    }

    /// Writes through a temporary file: renamed over `path` (replace), or, with `exclusive`,
    /// hard-linked to `path`, which fails atomically when the name is taken (409) so two
    /// concurrent creations can never both succeed.
    private func write(_ code: String, to path: String, exclusive: StrategyName? = nil) throws(APIError) {
        guard code.utf8.count <= StrategyValidator.maximumSize else {
            throw APIError(.contentTooLarge, "body_too_large", "the strategy is \(code.utf8.count) bytes; the limit is \(StrategyValidator.maximumSize)")
        }
        do {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
            guard let exclusive else { return try AtomicFile.write(Data(code.utf8), to: path) }
            let temporary = path + ".tmp-\(getpid())-\(UUID().uuidString.prefix(8))"
            try Data(code.utf8).write(to: URL(fileURLWithPath: temporary))
            defer { unlink(temporary) }
            if link(temporary, path) != 0 {
                if errno == EEXIST { throw APIError(.conflict, "conflict", "a strategy named '\(exclusive)' already exists") }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalServerError, "internal", "cannot write the strategy: \(error.localizedDescription)")
        }
    }
}
