# The Spindle operator image (`spindle operator run`), deployed by deploy/kubernetes/operator.yaml. Not built in
# this repository's CI: there is no container engine here. Build from the repository root after
# `mvn -pl cli -am package -DskipTests`:
#   docker build -f deploy/docker/operator.Dockerfile -t ghcr.io/spindle/spindle-operator:0.1.0 .
FROM eclipse-temurin:21-jre
COPY cli/target/spindle.jar /opt/spindle/spindle.jar
USER 10001
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/spindle/spindle.jar"]
CMD ["operator", "run"]
