import PackagePlugin

/// Embeds a service target's resources into its binary at build time, since a static
/// binary carries no resource bundle:
///
/// - `openapi.yaml` → `EmbeddedOpenAPI.json: String` (converted to JSON, validated as an
///   OpenAPI 3 document), served at `/openapi.json`;
/// - `events.yaml` → `EmbeddedEventCatalogue.json: String` (the events the service publishes
///   and consumes, each with a JSON Schema), served at `/events.json`;
/// - each `NAME.txt` or `NAME.json` → `EmbeddedText.name: String` (file name in lower camel case).
@main
struct EmbedResources: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let tool = try context.tool(named: "EmbedResourcesTool").url
        let files = module.sourceFiles.map(\.url)
        var commands = [Command]()
        if let spec = files.first(where: { $0.lastPathComponent == "openapi.yaml" }) {
            let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedOpenAPI.swift")
            commands.append(
                .buildCommand(
                    displayName: "Embedding openapi.yaml into \(target.name)",
                    executable: tool,
                    arguments: ["openapi", spec.path(percentEncoded: false), output.path(percentEncoded: false)],
                    inputFiles: [spec],
                    outputFiles: [output]
                )
            )
        }
        if let catalogue = files.first(where: { $0.lastPathComponent == "events.yaml" }) {
            let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedEventCatalogue.swift")
            commands.append(
                .buildCommand(
                    displayName: "Embedding events.yaml into \(target.name)",
                    executable: tool,
                    arguments: ["events", catalogue.path(percentEncoded: false), output.path(percentEncoded: false)],
                    inputFiles: [catalogue],
                    outputFiles: [output]
                )
            )
        }
        let texts = files.filter { ["txt", "json"].contains($0.pathExtension) }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        if !texts.isEmpty {
            let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedText.swift")
            commands.append(
                .buildCommand(
                    displayName: "Embedding \(texts.count) text resources into \(target.name)",
                    executable: tool,
                    arguments: ["text", output.path(percentEncoded: false)] + texts.map { $0.path(percentEncoded: false) },
                    inputFiles: texts,
                    outputFiles: [output]
                )
            )
        }
        return commands
    }
}
