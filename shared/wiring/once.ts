// Built on first use, then the same value for the life of the container. A build that throws (a
// missing variable, say) is not kept: the next call tries again.
export const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
};
