import FlotillaKit
import Hummingbird

/// Build the demo application; used by `main` and by the tests.
func buildApplication(_ configuration: ServiceConfiguration) -> FlotillaApplication {
    let runtime = ServiceRuntime(configuration: configuration)
    let router = runtime.makeRouter()
    EchoRoutes().register(on: router)
    return runtime.makeApplication(router: router)
}
