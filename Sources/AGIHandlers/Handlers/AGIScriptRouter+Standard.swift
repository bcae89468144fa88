extension AGIScriptRouter {
    /// The router with calljournal's scripts: `route`, `postcall` and `status`. The daemon and
    /// the end-to-end tests both build the server through this.
    public static func standard(
        directory: any DirectorySource,
        store: any CallAnnotationStore,
        routeTemplates: RouteDialTemplates = RouteDialTemplates(),
        postCall: PostCallHandler.Configuration = PostCallHandler.Configuration()
    ) -> AGIScriptRouter {
        AGIScriptRouter(handlers: [
            "route": RouteHandler(directory: directory, templates: routeTemplates),
            "postcall": PostCallHandler(directory: directory, store: store, configuration: postCall),
            "status": StatusHandler(directory: directory, store: store),
        ])
    }
}
