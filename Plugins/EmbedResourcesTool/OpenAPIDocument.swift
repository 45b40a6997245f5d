import Foundation
import Yams

/// Converts a service's `openapi.yaml` (or `events.yaml`) to JSON, failing the build on a YAML
/// error or a document without its defining field (`openapi: 3.x`, `publishes`).
enum OpenAPIDocument {
    static func json(fromYAMLFile path: String, requiredField: String = "openapi") -> String {
        let document: Any
        do {
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            guard let loaded = try Yams.load(yaml: yaml) else { fail("\(path): the file is empty") }
            document = loaded
        } catch {
            fail("\(path): not valid YAML: \(error)")
        }
        guard let object = jsonCompatible(document, at: "", file: path) as? [String: Any] else { fail("\(path): expected a mapping") }
        if requiredField == "openapi" {
            guard let version = object["openapi"] as? String, version.hasPrefix("3.") else {
                fail("\(path): expected an OpenAPI 3 document with an `openapi: 3.x` field")
            }
        } else if object[requiredField] == nil {
            fail("\(path): expected a `\(requiredField)` field")
        }
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        } catch {
            fail("\(path): cannot serialise as JSON: \(error)")
        }
    }

    /// What Yams produced, rebuilt from the plain types JSONSerialization accepts; names the
    /// path of the first value JSON cannot represent.
    static func jsonCompatible(_ value: Any, at path: String, file: String) -> Any {
        switch value {
        case let dictionary as [AnyHashable: Any]:
            var result = [String: Any]()
            for (key, element) in dictionary {
                guard let key = key.base as? String else { fail("\(file): \(path): key \(key) is not a string; quote it") }
                result[key] = jsonCompatible(element, at: "\(path)/\(key)", file: file)
            }
            return result
        case let array as [Any]:
            return array.enumerated().map { jsonCompatible($0.element, at: "\(path)/\($0.offset)", file: file) }
        case is String, is Int, is Double, is Bool, is NSNull:
            return value
        default:
            fail("\(file): \(path): \(type(of: value)) has no JSON form (a date?); quote it")
        }
    }
}
