# AURA's container image: the server (`aura serve`) and every other command of the CLI.
#   docker build -t aura-intelligence/aura:0.1.0 .
#   docker run -p 8080:8080 -e JWT_SECRET="$(openssl rand -base64 48)" aura-intelligence/aura:0.1.0
# deploy/helm/aura runs it on Kubernetes. Not built on the project's own machines (they have no
# container engine); HelmChartTest and ServeJarIT check what it runs, see docs/operations.md.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
# maven.test.skip: the tests are not even compiled (CI runs them; the image needs only the jar)
RUN ./mvnw -B -q -Dmaven.test.skip=true -pl aura-cli -am package

FROM eclipse-temurin:25-jre
RUN groupadd --gid 10001 aura \
 && useradd --uid 10001 --gid aura --no-create-home --home-dir /var/lib/aura --shell /usr/sbin/nologin aura \
 && mkdir -p /opt/aura /var/lib/aura \
 && chown aura:aura /var/lib/aura
COPY --from=build /src/aura-cli/target/aura.jar /opt/aura/aura.jar
# the JVM options ./aura uses; the Helm chart's javaOpts replaces them
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
# start-up: an ahead-of-time cache of loaded classes (JEP 483), made as ./aura makes it
RUN java -XX:AOTCacheOutput=/opt/aura/aura.aot -Xlog:aot=off -Xlog:cds=off -jar /opt/aura/aura.jar internal-train >/dev/null \
 && rm -f /opt/aura/aura.aot.config
USER 10001:10001
WORKDIR /var/lib/aura
VOLUME ["/var/lib/aura"]
EXPOSE 8080 5701
# docker's health status (Kubernetes ignores it: the chart has its own probes): GET /health/live on the
# default command's port. The JRE image has neither curl nor wget, hence bash's /dev/tcp; a server started
# on another port (--port) needs its own --health-cmd.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:AOTCache=/opt/aura/aura.aot", "-Xlog:aot=off", "-Xlog:cds=off", "-jar", "/opt/aura/aura.jar"]
CMD ["serve", "--port", "8080", "--data-dir", "/var/lib/aura"]
