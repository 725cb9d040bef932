package dev.taskqueue.client.scan;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.context.annotation.Configuration;

/**
 * An application whose package, with its sub-packages, holds task clients to find.
 */
@Configuration(proxyBeanMethods = false)
@AutoConfigurationPackage
public class ScanApplication {

}
