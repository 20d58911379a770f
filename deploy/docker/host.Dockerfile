# The Spindle host image (`spindle host`), run by SpindleHostGroups. Not built in this repository's CI: there is
# no container engine here. Build from the repository root after `mvn -pl cli -am package -DskipTests`:
#   docker build -f deploy/docker/host.Dockerfile -t ghcr.io/spindle/spindle-host:0.1.0 .
FROM eclipse-temurin:21-jre
RUN useradd --uid 10001 --home-dir /var/lib/spindle --create-home spindle
COPY cli/target/spindle.jar /opt/spindle/spindle.jar
USER 10001
WORKDIR /var/lib/spindle
VOLUME /var/lib/spindle
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/spindle/spindle.jar"]
CMD ["host", "--data-dir", "/var/lib/spindle"]
