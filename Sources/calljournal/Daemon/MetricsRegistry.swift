import Metrics
import Prometheus

/// The process-wide metrics registry, bootstrapped once (swift-metrics allows a single bootstrap per process).
enum DaemonMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
